/*
 * Starting lwIP: tcpip_init() creates the tcpip thread, which initialises
 * the stack, adds lo 127.0.0.1/8 (net/loopif.c) and then runs lwIP's
 * timers and the messages of the socket layer (LWIP_TCPIP_CORE_LOCKING=0:
 * all of lwIP's core runs in that one thread).  Done once, on first use (include/amphi/net.h).
 */
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/init.h"
#include "loopif.h"
#include <amphi/net.h>
#include <amphi/mutex.h>
#include <amphi/wait.h>
#include <amphi/printk.h>

static struct mutex up_lock = MUTEX_INIT("net-up");
static volatile int up_done;
static wait_queue_t up_wq = WAIT_QUEUE_INIT("net-up");

static void tcpip_ready(void *arg)
{
	loopif_add();
	up_done = 1;
	wake_all(&up_wq);
}

int net_running(void)
{
	return up_done;
}

int net_up(void)
{
	if (up_done)
		return 0;
	mutex_lock(&up_lock);
	if (!up_done) {
		tcpip_init(tcpip_ready, 0);
		wait_event(&up_wq, up_done);
		printk("net: lwIP %u.%u.%u up (tcpip thread), lo 127.0.0.1/8\n",
		       LWIP_VERSION_MAJOR, LWIP_VERSION_MINOR, LWIP_VERSION_REVISION);
	}
	mutex_unlock(&up_lock);
	return 0;
}
