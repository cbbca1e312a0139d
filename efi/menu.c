#include "efi/menu.h"

#include "core/console.h"
#include "efi/efi.h"

static EFI_GUID global_guid = EFI_GLOBAL_VARIABLE;

/* 100 ns units, as SetTimer counts */
#define ONE_SECOND 10000000

bool menu_key_pending(void)
{
	EFI_INPUT_KEY key;

	return !EFI_ERROR(efi.st->ConIn->ReadKeyStroke(efi.st->ConIn, &key));
}

/* The firmware's own default (UEFI 2.10 §7.5.1, SetWatchdogTimer): five
 * minutes for whatever boots next. */
#define WATCHDOG_S 300
#define WATCHDOG_CODE 0x10000
/* Lines of the screen that are not entries: the help, blank lines, the
 * note and the countdown. */
#define OTHER_LINES 7

/* As many entries as the screen holds, the selected one among them. */
static void draw(const char *const *labels, size_t n, size_t selected,
		 const char *note)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;
	UINTN cols, rows;
	size_t visible = n, first = 0;

	if (!EFI_ERROR(out->QueryMode(out, out->Mode->Mode, &cols, &rows)) &&
	    rows > OTHER_LINES + 3 && rows - OTHER_LINES < n)
		visible = rows - OTHER_LINES;
	if (selected >= visible)
		first = selected - visible + 1;
	out->ClearScreen(out);
	con_printf("efikexec: Up/Down choose, Enter boots, Esc leaves\n\n");
	for (size_t i = first; i < first + visible && i < n; i++)
		con_printf("  %s %s\n", i == selected ? ">" : " ", labels[i]);
	con_printf("\n");
	if (note)
		con_printf("%s\n\n", note);
}

static void show_countdown(const char *label, unsigned s)
{
	con_printf("\refikexec: booting '%s' in %u s (any key stops the countdown) ",
		   label, s);
}

enum menu_choice menu_run(const char *const *labels, size_t n,
			  size_t *selected, const char *note,
			  unsigned countdown_s)
{
	EFI_EVENT events[2] = { efi.st->ConIn->WaitForKey, NULL };
	UINTN nevents = 1;
	enum menu_choice choice = MENU_BOOT;

	/* Without a timer a countdown would wait for a key forever: boot
	 * what is selected, as an unattended machine needs. */
	if (countdown_s) {
		if (EFI_ERROR(efi.bs->CreateEvent(EVT_TIMER, 0, NULL, NULL, &events[1])))
			return MENU_BOOT;
		if (EFI_ERROR(efi.bs->SetTimer(events[1], TimerPeriodic, ONE_SECOND))) {
			efi.bs->CloseEvent(events[1]);
			return MENU_BOOT;
		}
		nevents = 2;
	}
	/* The firmware's watchdog (UEFI 2.10 §3.1.2) would reset the machine
	 * under a menu that waits for its user; it is armed again below. */
	efi.bs->SetWatchdogTimer(0, 0, 0, NULL);
	draw(labels, n, *selected, note);
	if (nevents == 2)
		show_countdown(labels[*selected], countdown_s);
	for (;;) {
		EFI_INPUT_KEY key;
		UINTN which;

		if (EFI_ERROR(efi.bs->WaitForEvent(nevents, events, &which)))
			break; /* no console to wait on: boot what is selected */
		if (which == 1) {
			if (--countdown_s)
				show_countdown(labels[*selected], countdown_s);
			else
				break;
			continue;
		}
		if (EFI_ERROR(efi.st->ConIn->ReadKeyStroke(efi.st->ConIn, &key)))
			continue;
		if (nevents == 2) { /* the first key stops the countdown */
			efi.bs->CloseEvent(events[1]);
			nevents = 1;
		}
		if (key.ScanCode == SCAN_ESC) {
			choice = MENU_LEAVE;
			break;
		}
		if (key.UnicodeChar == CHAR_CARRIAGE_RETURN)
			break;
		if (key.ScanCode == SCAN_UP && *selected > 0)
			(*selected)--;
		else if (key.ScanCode == SCAN_DOWN && *selected + 1 < n)
			(*selected)++;
		else if (key.ScanCode == SCAN_HOME)
			*selected = 0;
		else if (key.ScanCode == SCAN_END)
			*selected = n - 1;
		draw(labels, n, *selected, note);
	}
	if (nevents == 2)
		efi.bs->CloseEvent(events[1]);
	con_printf("\n");
	efi.bs->SetWatchdogTimer(WATCHDOG_S, WATCHDOG_CODE, 0, NULL);
	return choice;
}

/* A UINT64 EFI global variable; 0 when it is unset or not 8 bytes. */
static UINT64 global_u64(CHAR16 *name)
{
	UINT64 v = 0;
	UINTN size = sizeof(v);

	if (EFI_ERROR(efi.rt->GetVariable(name, &global_guid, NULL, &size, &v)) ||
	    size != sizeof(v))
		return 0;
	return v;
}

bool firmware_setup_supported(void)
{
	return global_u64(L"OsIndicationsSupported") &
	       EFI_OS_INDICATIONS_BOOT_TO_FW_UI;
}

void reboot_to_firmware_setup(void)
{
	UINT64 v = global_u64(L"OsIndications") |
		   EFI_OS_INDICATIONS_BOOT_TO_FW_UI;

	if (EFI_ERROR(efi.rt->SetVariable(L"OsIndications", &global_guid,
					  EFI_VARIABLE_NON_VOLATILE |
						  EFI_VARIABLE_BOOTSERVICE_ACCESS |
						  EFI_VARIABLE_RUNTIME_ACCESS,
					  sizeof(v), &v))) {
		con_warn("cannot set OsIndications: no reboot into the firmware's setup");
		return;
	}
	efi.rt->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
}
