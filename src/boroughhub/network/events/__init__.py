"""Events: who may see and register (audience), places and the wait-list, calendar files, attendee lists."""
