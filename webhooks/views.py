from django.http import Http404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def retell_webhook(request, secret_key):
    raise Http404


@csrf_exempt
@require_POST
def thumbtack_webhook(request):
    raise Http404
