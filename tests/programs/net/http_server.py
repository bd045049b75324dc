# http.server and http.client work over the loopback too (socketserver.TCPServer, one request at a time).
import http.client
import http.server
import multiprocessing as mp


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"hello from {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(q):
    with http.server.HTTPServer(("127.0.0.1", 0), Hello) as httpd:
        q.put(httpd.server_address[1])
        httpd.handle_request()


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=serve, args=(q,))
    p.start()
    port = q.get()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/lesson")
    r = conn.getresponse()
    print(r.status, r.read())
    p.join()
