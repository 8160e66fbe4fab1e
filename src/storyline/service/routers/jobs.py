"""``/jobs``: follow a queued write (``POST /articles`` answers 202 with a job's URL)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ..dependencies import StoreDep, require_writer
from ..schemas import ErrorOut, JobOut, JobResultOut
from ..store import Job

router = APIRouter(prefix="/jobs", tags=["articles"], dependencies=[Depends(require_writer)])


def job_out(job: Job) -> JobOut:
    """The public view of a job."""
    result = job.result or {}
    done = job.status == "done"
    return JobOut(id=job.id, status=job.status, status_url=f"/jobs/{job.id}", articles=len(job.records),
                  result=JobResultOut(**result) if done else None, error=result.get("error"))


@router.get("/{job_id}", response_model=JobOut, responses={404: {"model": ErrorOut}})
def get_job(job_id: str, store: StoreDep) -> JobOut:
    """A write's progress: queued, running, done (with the ids stored) or failed (with the reason)."""
    return job_out(store.job(job_id))
