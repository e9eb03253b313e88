"""The monthly cycle of submissions: the calendar's rules (``calendar``), quality counts (``quality``),
their database side (``store``) and pages (``views``, ``forms``). See docs/decisions/0085 and 0086."""
