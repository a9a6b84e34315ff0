from rest_framework.routers import SimpleRouter

from . import views

app_name = "contact"

router = SimpleRouter()
router.register("contacts", views.ContactViewSet, basename="contact")

urlpatterns = router.urls
