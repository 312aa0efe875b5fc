"""gxaudit's Qt interface: a view of a core Review and a sender of edits.
It never parses, sums or writes report files itself."""
