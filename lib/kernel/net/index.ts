/** The loopback network: public surface of lib/kernel/net. */
export { Network, type NetworkOptions, type NetTimers } from "./network";
export { NetErrno, netStrerror, NO_OUTSIDE_NETWORK, type NetResult, type NetFailure, type NetErrnoName } from "./errno";
export { isLocalHost, validPort, formatAddr, LOOPBACK, ANY } from "./addr";
export { registerNetSyscalls } from "./syscalls";
export { DEFAULT_RCVBUF, DEFAULT_SNDBUF, MAX_DATAGRAM } from "./sockets";
export * from "./types";
