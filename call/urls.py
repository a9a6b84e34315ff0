from rest_framework.routers import SimpleRouter

from . import views

app_name = "call"

router = SimpleRouter()
router.register("", views.CallPlanViewSet, basename="callplan")

urlpatterns = router.urls
