/* net/loopif.c: adds lo (127.0.0.1/8); call in the tcpip thread. */
#ifndef NET_LOOPIF_H
#define NET_LOOPIF_H
void loopif_add(void);
#endif
