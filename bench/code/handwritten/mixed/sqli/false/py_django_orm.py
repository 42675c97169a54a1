from django.http import JsonResponse

from shop.models import Product


def search(request):
    term = request.POST.get("term", "")
    ids = list(Product.objects.filter(name__icontains=term).values_list("id", flat=True))
    return JsonResponse({"ids": ids})
