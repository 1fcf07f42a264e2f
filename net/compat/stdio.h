/* <stdio.h> for lwIP's sources: snprintf from amphi's printk.h. */
#include <amphi/printk.h>
