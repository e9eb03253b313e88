"""Recruitment support: vacancies, shortlists, time to fill and the saving against agency fees."""
