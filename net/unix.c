/* AF_UNIX: not yet (see net/README). */
#include <amphi/errno.h>
#include "sock.h"

int unix_create(struct sock *sk)
{
	(void)sk;
	return -EAFNOSUPPORT;
}

int unix_pair(struct sock *a, struct sock *b)
{
	(void)a, (void)b;
	return -EAFNOSUPPORT;
}
