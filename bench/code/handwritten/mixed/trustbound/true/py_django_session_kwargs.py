from django.http import HttpResponse


def remember(request, **options):
    preferred = request.GET.get("tenant", options.get("default", ""))
    request.session["tenant"] = preferred
    return HttpResponse("ok")
