# Linux's socket option names and flags beyond the ones this network acts on (SOL_TCP, IP_TTL,
# MSG_NOSIGNAL, SO_ACCEPTCONN…), and the read-only options Linux derives from the socket.
import socket
srv = socket.create_server(("127.0.0.1", 0))
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
a, b = socket.socketpair()
for x in (srv, c, s, u, a):
    print([x.getsockopt(socket.SOL_SOCKET, o) for o in (socket.SO_ACCEPTCONN, socket.SO_DOMAIN, socket.SO_PROTOCOL, socket.SO_TYPE)])
c.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 32)
print(c.getsockopt(socket.IPPROTO_IP, socket.IP_TTL))
c.send(b"x", socket.MSG_NOSIGNAL)
print(s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT), socket.MSG_NOSIGNAL | socket.MSG_MORE, socket.SOCK_SEQPACKET, socket.AI_ALL | socket.AI_V4MAPPED)
print(socket.SOL_TCP, socket.TCP_MAXSEG, socket.INADDR_NONE, socket.EAI_FAIL)
for x in (srv, c, s, u, a, b): x.close()
print(all(hasattr(socket, n) for n in "SO_DEBUG SO_OOBINLINE SO_PRIORITY SO_RCVLOWAT SO_PEERCRED SOL_IP SOL_UDP IP_TOS IP_MULTICAST_TTL IP_ADD_MEMBERSHIP IPV6_V6ONLY TCP_CORK TCP_QUICKACK TCP_USER_TIMEOUT IPPROTO_ICMP IPPROTO_RAW NI_MAXHOST SCM_RIGHTS MSG_TRUNC MSG_EOR".split()))
