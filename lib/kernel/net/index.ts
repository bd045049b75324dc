/** The loopback network: public surface of lib/kernel/net. */
export { Network, BYTES_SAMPLE_MS, type NetworkOptions, type NetTimers, type RingHeap } from "./network";
export { NO_OUTSIDE_NETWORK, type NetResult, type NetFailure } from "./result";
export { isLocalHost, validPort, formatAddr, LOOPBACK, ANY } from "./addr";
export { registerNetSyscalls } from "./syscalls";
export { SOCK_RING, SOCK_RING_HEADER_BYTES, RX_OK, TX_OK, SockRingOps } from "./sock-ring";
export { DEFAULT_RCVBUF, DEFAULT_SNDBUF, MAX_DATAGRAM } from "./sockets";
export * from "./types";
