/* Just enough ACPI: find tables, power off through the FADT and \_S5. */
#ifndef AMPHI_ACPI_H
#define AMPHI_ACPI_H
#include <stdint.h>

void acpi_init(uint64_t rsdp_hint);
/* Physical address of the table with this signature, 0 if absent. */
uint64_t acpi_find_table(const char sig[4]);
void acpi_power_off(void);   /* returns only when it could not */
#endif
