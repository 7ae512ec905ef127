from django.http import HttpResponse

def inbox(request, *a, **k):
    return HttpResponse('')


def request_list(request, *a, **k):
    return HttpResponse('')


def request_detail(request, *a, **k):
    return HttpResponse('')


def request_edit(request, *a, **k):
    return HttpResponse('')


def request_decide(request, *a, **k):
    return HttpResponse('')


def delegations(request, *a, **k):
    return HttpResponse('')


def delegation_cancel(request, *a, **k):
    return HttpResponse('')


def stage_report(request, *a, **k):
    return HttpResponse('')


def request_create(request, *a, **k):
    return HttpResponse('')


