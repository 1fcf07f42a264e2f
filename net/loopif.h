/* net/loopif.c: adds lo (127.0.0.1/8); call in the tcpip thread. */
#ifndef NET_LOOPIF_H
#define NET_LOOPIF_H
#include "netdev.h"
void loopif_add(void);
extern struct netdev_stats loopif_stats;   /* lo's counters for /proc/net/dev */
#endif
