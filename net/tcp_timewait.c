/*
 * A new connection over a 4-tuple still in TIME-WAIT (lwIP's
 * LWIP_HOOK_TCP_INPACKET_PCB, net/port/lwipopts.h).
 *
 * The side that closes first keeps TIME-WAIT for 2 MSL (120 s here).  A
 * server that closes first (busybox httpd) therefore holds TIME-WAIT for
 * every client port, and a client that reuses a port within two minutes
 * (hosts do, under load: seen as one stalled request in a thousand behind
 * QEMU's slirp) gets only an ACK from lwIP, which never accepts a SYN in
 * TIME-WAIT.  Linux accepts such a SYN when its sequence number is past
 * the old connection's (RFC 6191's rule without timestamps).  lwIP's hook
 * may not change the pcb lists, so the TIME-WAIT pcb is aged to expire at
 * the next slow timer (500 ms) and the SYN is dropped: the peer's
 * retransmitted SYN then finds the listener.
 */
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"

err_t amphi_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr);

err_t amphi_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr)
{
	u16_t flags = TCPH_FLAGS(hdr);
	if (pcb->state != TIME_WAIT || (flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return ERR_OK;
	if (!TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt))     /* host order here (tcp_input converted it) */
		return ERR_OK;          /* an old duplicate: lwIP's RFC 1337 handling */
	pcb->tmr = tcp_ticks - 2 * TCP_MSL / TCP_SLOW_INTERVAL - 1;
	return ERR_ABRT;
}
