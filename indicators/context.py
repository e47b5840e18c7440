"""Whether the site's menu shows the indicators: only to those who may read them (a curator or a
superuser), so a mentor is not led to a 403.

Lazy: the template asks only inside the staff part of the menu, and the answer comes from the
role names the view has usually looked up already (roles.has_role keeps them on the user), so
a page costs no query for it.
"""

from participants import roles


def menu(request):
    return {"can_read_indicators": lambda: roles.can_manage(request.user)}
