# Stubs: the registration wizard and the owner's pages are being written (issue 2, section 4).
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def my_channels(request):
    return HttpResponse("todo")


@login_required
def channel_new(request):
    return HttpResponse("todo")


@login_required
def channel_detail(request, pk):
    return HttpResponse("todo")


@login_required
def channel_step(request, pk, step):
    return HttpResponse("todo")


@login_required
def channel_submit(request, pk):
    return HttpResponse("todo")


@login_required
def channel_open(request, pk):
    return HttpResponse("todo")
