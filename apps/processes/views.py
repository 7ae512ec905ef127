from django.http import HttpResponse

def process_list(request, *a, **k):
    return HttpResponse('')


def process_edit(request, *a, **k):
    return HttpResponse('')


def department_processes(request, *a, **k):
    return HttpResponse('')


def action_done(request, *a, **k):
    return HttpResponse('')


def process_detail(request, *a, **k):
    return HttpResponse('')


def review_create(request, *a, **k):
    return HttpResponse('')


