from django.http import HttpResponse


def remember(request, **options):
    page = int(request.GET.get("page", options.get("default", 1)))
    request.session["page"] = page
    return HttpResponse("ok")
