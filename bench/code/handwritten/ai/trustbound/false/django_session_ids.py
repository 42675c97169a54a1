from django.http import JsonResponse


def save_cart(request):
    items = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
    request.session["cart_size"] = len(items)
    return JsonResponse({"saved": len(items)})
