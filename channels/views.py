from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def my_channels(request):
    return HttpResponse("todo")


@login_required
def channel_detail(request, pk):
    return HttpResponse("todo")
