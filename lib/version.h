/* efikexec's version, as it reports itself (LoaderInfo). */
#ifndef LIB_VERSION_H
#define LIB_VERSION_H

#define EFIKEXEC_VERSION "0.1"

#endif
