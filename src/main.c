/* placeholder until the command line lands */
#include <stdio.h>
int main(void) { puts("circles " CIRCLES_VERSION); return 0; }
