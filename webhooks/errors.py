class PayloadError(ValueError):
    """A delivery whose content cannot be processed as it stands (a missing id,
    a wrong shape). The event is kept as failed and can be replayed."""
