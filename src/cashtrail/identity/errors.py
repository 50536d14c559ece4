"""Errors of the identity domain."""

from cashtrail.errors import Conflict, NotFound


class UserNotFound(NotFound):
    code = "user.not_found"


class UserExists(Conflict):
    code = "user.already_exists"
