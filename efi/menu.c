#include "efi/menu.h"

#include "core/console.h"
#include "bls/editor.h"
#include "efi/efi.h"

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
 * note, the status and the countdown. */
#define OTHER_LINES 8
/* Ctrl-K in UnicodeChar, as consoles report it */
#define CTRL_K 0x0b

/* How many entries the screen holds, at most all of them: a page. */
static size_t page(const struct menu *m)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;
	UINTN cols, rows;

	if (!EFI_ERROR(out->QueryMode(out, out->Mode->Mode, &cols, &rows)) &&
	    rows > OTHER_LINES + 3 && rows - OTHER_LINES < m->n)
		return rows - OTHER_LINES;
	return m->n;
}

/* As many entries as the screen holds, the selected one among them; the
 * one LoaderEntryDefault names marked with '*'. */
static void draw(const struct menu *m)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;
	size_t visible = page(m), first = 0;

	if (m->selected >= visible)
		first = m->selected - visible + 1;
	out->ClearScreen(out);
	con_printf("efikexec: Up/Down choose, Enter boots, Esc leaves, h help\n\n");
	for (size_t i = first; i < first + visible && i < m->n; i++)
		con_printf("  %s%s %s\n", i == m->selected ? ">" : " ",
			   i == m->marked ? "*" : " ", m->labels[i]);
	con_printf("\n");
	if (m->note)
		con_printf("%s\n\n", m->note);
	if (m->status)
		con_note("%s", m->status);
}

static void show_countdown(const char *label, unsigned s)
{
	con_printf("\refikexec: booting '%s' in %u s (any key stops the countdown) ",
		   label, s);
}

/* The keys menu_run() handles itself: whether it did. */
static bool navigate(struct menu *m, const EFI_INPUT_KEY *key)
{
	bool up = key->ScanCode == SCAN_UP || key->UnicodeChar == 'k';
	bool down = key->ScanCode == SCAN_DOWN || key->UnicodeChar == 'j';
	size_t n = page(m);

	if (up && m->selected > 0)
		m->selected--;
	else if (down && m->selected + 1 < m->n)
		m->selected++;
	else if (key->ScanCode == SCAN_HOME)
		m->selected = 0;
	else if (key->ScanCode == SCAN_END)
		m->selected = m->n - 1;
	/* a page up or down, as far as it goes (systemd-boot's menu) */
	else if (key->ScanCode == SCAN_PAGE_UP)
		m->selected = m->selected > n ? m->selected - n : 0;
	else if (key->ScanCode == SCAN_PAGE_DOWN)
		m->selected = m->n - 1 - m->selected > n ? m->selected + n : m->n - 1;
	else
		return up || down; /* at either end: nothing to move */
	return true;
}

enum menu_choice menu_run(struct menu *m)
{
	EFI_EVENT events[2] = { efi.st->ConIn->WaitForKey, NULL };
	UINTN nevents = 1;
	enum menu_choice choice = MENU_BOOT;

	/* Without a timer a countdown would wait for a key forever: boot
	 * what is selected, as an unattended machine needs. */
	if (m->countdown) {
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
	draw(m);
	if (nevents == 2)
		show_countdown(m->labels[m->selected], m->countdown);
	for (;;) {
		EFI_INPUT_KEY *key = &m->key;
		UINTN which;

		if (EFI_ERROR(efi.bs->WaitForEvent(nevents, events, &which)))
			break; /* no console to wait on: boot what is selected */
		if (which == 1) {
			if (--m->countdown)
				show_countdown(m->labels[m->selected], m->countdown);
			else
				break;
			continue;
		}
		if (EFI_ERROR(efi.st->ConIn->ReadKeyStroke(efi.st->ConIn, key)))
			continue;
		if (nevents == 2) { /* the first key stops the countdown */
			efi.bs->CloseEvent(events[1]);
			nevents = 1;
			m->countdown = 0;
		}
		if (key->UnicodeChar == CHAR_CARRIAGE_RETURN)
			break;
		if (m->confirm) {
			choice = MENU_KEY;
			break;
		}
		if (key->ScanCode == SCAN_ESC) {
			choice = MENU_LEAVE;
			break;
		}
		if (key->ScanCode == SCAN_RIGHT) /* as in systemd-boot's menu */
			break;
		if (!navigate(m, key)) {
			choice = MENU_KEY;
			break;
		}
		m->status = NULL;
		draw(m);
	}
	if (nevents == 2)
		efi.bs->CloseEvent(events[1]);
	m->countdown = 0;
	con_printf("\n");
	efi.bs->SetWatchdogTimer(WATCHDOG_S, WATCHDOG_CODE, 0, NULL);
	return choice;
}

static bool read_key(EFI_INPUT_KEY *key)
{
	UINTN which;

	for (;;) {
		if (EFI_ERROR(efi.bs->WaitForEvent(1, &efi.st->ConIn->WaitForKey,
						   &which)))
			return false;
		if (!EFI_ERROR(efi.st->ConIn->ReadKeyStroke(efi.st->ConIn, key)))
			return true;
	}
}

bool menu_wait_key(void)
{
	EFI_INPUT_KEY key;

	return read_key(&key) && key.ScanCode != SCAN_ESC && key.UnicodeChar != 'q';
}

/* The editor's key for a console key; false for one it does not use. */
static bool editor_key_of(const EFI_INPUT_KEY *key, enum editor_key *k)
{
	static const struct {
		UINT16 scan;
		enum editor_key k;
	} scans[] = {
		{ SCAN_LEFT, EDIT_LEFT },   { SCAN_RIGHT, EDIT_RIGHT },
		{ SCAN_HOME, EDIT_HOME },   { SCAN_END, EDIT_END },
		{ SCAN_DELETE, EDIT_DELETE }, { SCAN_ESC, EDIT_CANCEL },
	};

	for (size_t i = 0; i < sizeof(scans) / sizeof(scans[0]); i++)
		if (key->ScanCode == scans[i].scan) {
			*k = scans[i].k;
			return true;
		}
	if (key->ScanCode)
		return false;
	*k = key->UnicodeChar == CHAR_CARRIAGE_RETURN ? EDIT_ACCEPT :
	     key->UnicodeChar == CHAR_BACKSPACE ? EDIT_BACKSPACE :
	     key->UnicodeChar == CTRL_K ? EDIT_KILL : EDIT_INSERT;
	return true;
}

/* Whether c starts a UTF-8 character (is no continuation byte). */
static bool starts_char(char c)
{
	return ((unsigned char)c & 0xc0) != 0x80;
}

/* The line being edited, `width` columns of it from one that keeps the
 * cursor on screen. */
static void draw_line(const struct editor *ed, size_t width)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;
	size_t col = editor_column(ed, ed->cursor);
	size_t first = col + 1 >= width ? col + 2 - width : 0;
	size_t i = 0, n = 0, shown = 0;
	char line[512];

	for (size_t c = 0; c < first && i < ed->len; c++)
		do
			i++;
		while (i < ed->len && !starts_char(ed->text[i]));
	while (i < ed->len && shown + 1 < width && n + 5 < sizeof(line)) {
		do
			line[n++] = ed->text[i++];
		while (i < ed->len && !starts_char(ed->text[i]));
		shown++;
	}
	for (; shown + 1 < width && n + 1 < sizeof(line); shown++)
		line[n++] = ' ';
	line[n] = '\0';
	con_printf("\r%s", line);
	out->SetCursorPosition(out, col - first, out->Mode->CursorRow);
}

bool menu_edit(char *buf, size_t cap)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;
	enum editor_state state = EDITING;
	struct editor ed;
	UINTN cols = 80, rows;

	if (EFI_ERROR(out->QueryMode(out, out->Mode->Mode, &cols, &rows)) || cols < 2)
		cols = 80;
	editor_start(&ed, buf, cap);
	out->EnableCursor(out, TRUE);
	while (state == EDITING) {
		EFI_INPUT_KEY key;
		enum editor_key k;

		draw_line(&ed, cols - 1);
		if (!read_key(&key)) {
			state = EDIT_CANCELLED;
			break;
		}
		if (editor_key_of(&key, &k))
			state = editor_key(&ed, k, (char)key.UnicodeChar);
	}
	out->EnableCursor(out, FALSE);
	con_printf("\n");
	return state == EDIT_DONE;
}

int menu_mode(void)
{
	return efi.st->ConOut->Mode->Mode;
}

bool menu_set_mode(int mode)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;

	return mode >= 0 && mode < out->Mode->MaxMode &&
	       !EFI_ERROR(out->SetMode(out, (UINTN)mode));
}

int menu_next_mode(void)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi.st->ConOut;
	int max = out->Mode->MaxMode;

	/* modes that QueryMode() refuses are not there (UEFI 2.10 §12.4.5) */
	for (int i = 1; i <= max; i++) {
		int mode = (out->Mode->Mode + i) % max;
		UINTN cols, rows;

		if (!EFI_ERROR(out->QueryMode(out, (UINTN)mode, &cols, &rows)) &&
		    menu_set_mode(mode))
			return mode;
	}
	return -1;
}

/* A UINT64 EFI global variable; 0 when it is unset or not 8 bytes. */
static UINT64 global_u64(CHAR16 *name)
{
	UINT64 v = 0;
	UINTN size = sizeof(v);

	if (EFI_ERROR(efi.rt->GetVariable(name, &efi_global_variable_guid, NULL,
					  &size, &v)) ||
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

	if (EFI_ERROR(efi.rt->SetVariable(L"OsIndications", &efi_global_variable_guid,
					  EFI_VARIABLE_NON_VOLATILE |
						  EFI_VARIABLE_BOOTSERVICE_ACCESS |
						  EFI_VARIABLE_RUNTIME_ACCESS,
					  sizeof(v), &v))) {
		con_warn("cannot set OsIndications: no reboot into the firmware's setup");
		return;
	}
	efi.rt->ResetSystem(EfiResetCold, EFI_SUCCESS, 0, NULL);
}
