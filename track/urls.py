from rest_framework.routers import SimpleRouter

from . import views

app_name = "track"

router = SimpleRouter()
router.register("interactions", views.InteractionViewSet, basename="interaction")

urlpatterns = router.urls
