# Stubs: Komm's queue and review are being written (issue 2, section 6).
from django.http import HttpResponse


def queue(request):
    return HttpResponse("todo")


def review(request, pk):
    return HttpResponse("todo")
