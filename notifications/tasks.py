"""django-q2 entry points of the notifications app: thin, and safe to run twice or at once."""

from django_q.tasks import async_task

from notifications import delivery


def deliver_due():
    """Send what is due; hand the rest to a new task when this one's time is up."""
    outcome = delivery.deliver_due()
    if outcome.more:
        async_task("notifications.tasks.deliver_due", task_name="notifications: deliver more")
    return outcome.as_dict()


def recover_stuck():
    """Requeue rows of dead workers and deliver them now rather than at the next minute."""
    result = delivery.recover_stuck()
    if result["requeued"]:
        async_task("notifications.tasks.deliver_due", task_name="notifications: deliver recovered")
    return result
