from celery import shared_task

from .runner import TASK_NAME, run_job


@shared_task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job_task(name: str) -> int:
    """Beat sends this with the job's name; acknowledged only after the run finished."""
    return run_job(name).items
