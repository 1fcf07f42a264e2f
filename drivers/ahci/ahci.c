#include <amphi/pci.h>
int ahci_probe(struct pci_dev *d) { (void)d; return -1; }
