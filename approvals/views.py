from django.http import HttpResponse


def signoff(request, value):
    return HttpResponse("todo")


def review(request, pk):
    return HttpResponse("todo")
