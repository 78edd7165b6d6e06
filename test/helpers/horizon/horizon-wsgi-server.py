# Serves Debian's Horizon (openstack_dashboard's WSGI application, unchanged) on loopback without Apache:
# a threaded wsgiref server for the dashboard, plus the static files Debian collected and compressed into
# STATIC_ROOT (the job Apache's Alias does in Debian's openstack-dashboard-apache configuration).
# Usage: horizon-wsgi-server.py SETTINGS_DIR PORT — SETTINGS_DIR holds local/local_settings.py, found before
# Debian's own through sys.path (openstack_dashboard/settings.py imports `local.local_settings`).
import mimetypes
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import FileWrapper

settings_dir, port = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, settings_dir)
os.environ['DJANGO_SETTINGS_MODULE'] = 'openstack_dashboard.settings'

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

dashboard = get_wsgi_application()
static_root = os.path.realpath(settings.STATIC_ROOT)
static_url = settings.STATIC_URL


def application(environ, start_response):
    path = environ.get('PATH_INFO', '')
    if not path.startswith(static_url):
        return dashboard(environ, start_response)
    file = os.path.realpath(os.path.join(static_root, path[len(static_url):]))
    if not file.startswith(static_root + os.sep) or not os.path.isfile(file):
        start_response('404 Not Found', [('Content-Type', 'text/plain')])
        return [b'not found']
    kind = mimetypes.guess_type(file)[0] or 'application/octet-stream'
    start_response('200 OK', [('Content-Type', kind), ('Content-Length', str(os.path.getsize(file)))])
    return FileWrapper(open(file, 'rb'))


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code='-', size='-'):
        if not str(code).startswith(('2', '3')):
            super().log_request(code, size)


server = make_server('127.0.0.1', port, application, ThreadingServer, QuietHandler)
print(f'Horizon listening on http://127.0.0.1:{port}', flush=True)
server.serve_forever()
