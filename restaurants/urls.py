"""JSON API routes of restaurant accounts (`/lead/restaurants/`, the seed's
"leads"), under `restaurants:`."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "restaurants"

router = SimpleRouter()
router.register("lead/restaurants", views.RestaurantViewSet, basename="restaurant")

urlpatterns = router.urls
