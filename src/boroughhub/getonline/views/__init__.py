"""Get Online London's pages: the public hub list and feed (``public``), the hub staff's pages
(``hub``), the service team's (``team``) and the report (``report``)."""
