"""How long a failed sign-in takes for an unknown username versus a wrong password, at real Argon2id cost.

Run: `.venv/bin/python -m bench.login_timing [ROUNDS]`. Prints the median and spread of each, and their ratio;
the two should match, so that timing does not reveal which usernames exist.
"""

from __future__ import annotations

import statistics
import sys
import time

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.accounts import service
from app.db import Base
from app.models import User  # noqa: F401 - registers every table on Base.metadata


def _time(session: Session, username: str, password: str, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        assert service.authenticate(session, username, password) is None
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(rounds: int = 30) -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        service.create_user(session, "existing", "a long pass phrase")
        service.authenticate(session, "nobody", "warm-up")  # builds the dummy hash once
        unknown = _time(session, "nobody", "a long pass phrase", rounds)
        wrong = _time(session, "existing", "not the pass phrase", rounds)
    for label, timings in (("unknown user", unknown), ("wrong password", wrong)):
        deciles = statistics.quantiles(timings, n=10)
        print(
            f"{label:15} median {statistics.median(timings):7.2f} ms  "
            f"p10 {deciles[0]:7.2f}  p90 {deciles[-1]:7.2f}"
        )
    print(f"ratio of medians (unknown / wrong): {statistics.median(unknown) / statistics.median(wrong):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
