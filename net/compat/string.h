/* <string.h> for lwIP's sources: amphi's own string functions. */
#include <amphi/string.h>
