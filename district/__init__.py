"""The district server: union catalogue, web OPAC, dashboard, reports and the sync hub.

For now it runs the sync endpoints and enrolment; the web application comes with the
district-server issue.
"""
