# Stubs: the prefect's sign-off pages are being written (issue 2, section 5).
from django.http import HttpResponse


def signoff(request, value):
    return HttpResponse("todo")


def signoff_resend(request, pk):
    return HttpResponse("todo")
