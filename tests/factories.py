"""Factories for the account app, shared by every app's tests."""

import factory

from account import services
from account.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


PASSWORD = "correct-horse-battery"


def make_business(owner=None, **details):
    """A registered business (settings, standard add-ons, credentials) and its owner."""
    owner = owner or UserFactory()
    defaults = {
        "name": f"{owner.username}'s Cleaning",
        "email": f"{owner.username}@biz.example.com",
        "phone": "+15125550100",
        "address": "1 Main St, Austin, TX",
        "timezone": "America/Chicago",
        "currency": "USD",
    }
    defaults.update(details)
    return services.business_register(owner=owner, **defaults)


def add_member(business, role="office", **kwargs):
    """A team member of `business`: office by default, or "cleaner"."""
    user = UserFactory(**kwargs)
    from account.models import Membership

    Membership.objects.create(user=user, business=business, role=role)
    return user
