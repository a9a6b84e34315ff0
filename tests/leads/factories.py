import factory

from leads.models import Lead


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    name = factory.Sequence(lambda n: f"Lead {n}")
    phone = factory.Sequence(lambda n: f"+1512555{n % 10000:04d}")
    email = factory.Sequence(lambda n: f"lead{n}@example.com")
