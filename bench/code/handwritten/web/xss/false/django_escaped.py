from django.http import HttpResponse
from django.utils.html import escape


def search(request):
    term = request.GET.get("q", "")
    return HttpResponse("<p>No results for " + escape(term) + "</p>")
