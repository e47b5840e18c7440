"""Certificates of participation (сертификаты) with academic hours and public verification.

They live in `events` because a certificate attests attendance, which events owns: the hours
come from Attendance × Event.academic_hours, the activity is an event, a track or a program.
It imports participants (the holder, scoping) and notifications (the «ready» letter) only, as
events does; nothing below events imports it.
"""
