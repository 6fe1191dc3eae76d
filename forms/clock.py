"""Hà Nội time: where every date the guidance sets is judged (what month it is, whether a form
is late). The machine's clock may run in UTC: from 00:00 to 07:00 in Hà Nội it is still the day
before there."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # no tz database: Việt Nam has kept UTC+7, without summer time
    LOCAL_TIME = timezone(timedelta(hours=7), "ICT")


def now():
    """This instant, in Hà Nội time."""
    return datetime.now(timezone.utc).astimezone(LOCAL_TIME)


def today():
    """Today's date in Hà Nội."""
    return now().date()
