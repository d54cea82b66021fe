/* The second SQLite C API reference for ledger ingest (issue 13): the rows a `duban ledger submit`
 * stored, inserted again through the C API into Duban's OWN schema, with every constraint on:
 * foreign keys ON (checked), every CHECK, the triggers and every index a `duban plan load` makes.
 * The database must be a new one made by `duban plan load` of the same plan (it is in WAL mode);
 * it is written as `ledger submit` writes: synchronous NORMAL, a 16 MiB page cache, ONE
 * transaction (BEGIN IMMEDIATE … COMMIT), one prepared statement per table reused for every row,
 * the same INSERT statements as LedgerWriter's (ledger_submission, ledger_content, progress_record),
 * in the order Duban wrote them: each submission, its content, then its records. Timed from
 * BEGIN to the close that checkpoints the WAL (as the end of a `ledger submit` does).
 *
 *   gcc -O2 -o reference-insert-schema Scripts/reference-insert-schema.c -lsqlite3
 *   reference-insert-schema stored.csv plan-loaded.sqlite
 *       # prints: records seconds records_per_second submissions
 *
 * stored.csv (Scripts/benchmark writes it from the database Duban ingested): RFC 4180 records,
 * the first field a tag. `s`: a submission's id and its 15 columns in LedgerWriter's order, then
 * its content (the canonical JSON, stored as a BLOB, as Duban stores it); `r`: a record's 18
 * columns in LedgerWriter's order. An empty field in a nullable column is NULL. Reading and
 * splitting the file is timed, as in reference-insert.c; the file is mapped first.
 *
 * What it does not do, that `ledger submit` does: read, decode and check ledger files (it reads
 * finished rows); look up each ledger's current submission and each entry's previous state; fold
 * the new records into current_fact; start a process per batch. Ids: submissions and records
 * get the same ids as in Duban's database (rowids assigned in the same order; checked).
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SUB_COLS 15
#define REC_COLS 18
#define MAX_FIELDS 20

static const char *submission_sql =
    "INSERT INTO ledger_submission (plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name,"
    " liaison_phone, source_file, source_format, content_hash, entry_count, supersedes_id, recorded_at, received_as)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char *content_sql = "INSERT INTO ledger_content (submission_id, content_json) VALUES (?, ?)";
static const char *record_sql =
    "INSERT OR ROLLBACK INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,"
    " reported_on, progress, problems, next_steps, figures_json, evidence_json, origin, submission_id, source,"
    " source_line, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

/* Per column of each table (without the tag; a submission's id is field 1): integer, nullable. */
static const int sub_int[SUB_COLS] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
static const int sub_null[SUB_COLS] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
static const int rec_int[REC_COLS] = {0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0};
static const int rec_null[REC_COLS] = {0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0};

static char *scratch;
static size_t scratch_cap;

/* Splits the record at *pos (up to end) into fields: a field without quotes points into the
 * mapped file; a quoted one with "" inside is unescaped into `scratch`. Advances *pos past the
 * record's newline. Returns the number of fields, or -1 past the end or on too many fields. */
static int next_record(const char **pos, const char *end, const char **field, int *len) {
    const char *p = *pos;
    if (p >= end) return -1;
    size_t used = 0;
    int n = 0;
    for (;;) {
        if (n == MAX_FIELDS) return -1;
        if (p < end && *p == '"') {
            const char *start = ++p;
            int escaped = 0;
            while (p < end) {
                if (*p == '"' && p + 1 < end && p[1] == '"') { escaped = 1; p += 2; }
                else if (*p == '"') break;
                else p++;
            }
            if (p >= end) return -1;
            if (!escaped) {
                field[n] = start;
                len[n] = (int)(p - start);
            } else {
                size_t need = used + (size_t)(p - start);
                if (need > scratch_cap) {
                    /* Fields already in scratch would move: the record is re-split from its start. */
                    scratch_cap = need * 2 + 4096;
                    scratch = realloc(scratch, scratch_cap);
                    if (!scratch) { fprintf(stderr, "out of memory\n"); exit(1); }
                    return next_record(pos, end, field, len);
                }
                char *w = scratch + used;
                field[n] = w;
                for (const char *q = start; q < p; q++) {
                    *w++ = *q;
                    if (*q == '"') q++;
                }
                len[n] = (int)(w - field[n]);
                used = (size_t)(w - scratch);
            }
            p++; /* the closing quote */
        } else {
            const char *start = p;
            while (p < end && *p != ',' && *p != '\n' && *p != '\r') p++;
            field[n] = start;
            len[n] = (int)(p - start);
        }
        n++;
        if (p < end && *p == ',') { p++; continue; }
        if (p < end && *p == '\r') p++;
        if (p < end && *p == '\n') p++;
        break;
    }
    *pos = p;
    return n;
}

static void bind_fields(sqlite3_stmt *st, const char **field, const int *len, int count, const int *is_int, const int *nullable) {
    for (int i = 0; i < count; i++) {
        if (len[i] == 0 && nullable[i]) sqlite3_bind_null(st, i + 1);
        else if (is_int[i]) {
            char digits[32];
            int k = len[i] < 31 ? len[i] : 31;
            memcpy(digits, field[i], (size_t)k);
            digits[k] = 0;
            sqlite3_bind_int64(st, i + 1, strtoll(digits, NULL, 10));
        } else sqlite3_bind_text(st, i + 1, field[i], len[i], SQLITE_STATIC);
    }
}

static int fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s stored.csv plan-loaded.sqlite\n", argv[0]); return 64; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 66; }
    struct stat sb;
    if (fstat(fd, &sb) != 0) { perror(argv[1]); return 66; }
    const char *data = sb.st_size ? mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
    if (data == MAP_FAILED) { perror("mmap"); return 1; }
    const char *pos = data, *end = data + sb.st_size;

    sqlite3 *db;
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) return fail(db, "open");
    char *err = NULL;
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;",
                     NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "pragmas: %s\n", err); return 1; }
    sqlite3_stmt *q;
    int on = 0, wal = 0;
    sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &q, NULL);
    if (sqlite3_step(q) == SQLITE_ROW) on = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL);
    if (sqlite3_step(q) == SQLITE_ROW) wal = strcmp((const char *)sqlite3_column_text(q, 0), "wal") == 0;
    sqlite3_finalize(q);
    if (!on || !wal) { fprintf(stderr, "foreign keys %s, journal %s: not a database `duban plan load` made\n", on ? "on" : "OFF", wal ? "wal" : "not WAL"); return 1; }
    long existing = -1;
    sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM progress_record) + (SELECT count(*) FROM ledger_submission)", -1, &q, NULL);
    if (sqlite3_step(q) == SQLITE_ROW) existing = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (existing != 0) { fprintf(stderr, "the database holds ledgers already: give it a new one from `duban plan load`\n"); return 1; }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "begin: %s\n", err); return 1; }
    sqlite3_stmt *sub, *content, *rec;
    if (sqlite3_prepare_v2(db, submission_sql, -1, &sub, NULL) != SQLITE_OK) return fail(db, "prepare");
    if (sqlite3_prepare_v2(db, content_sql, -1, &content, NULL) != SQLITE_OK) return fail(db, "prepare");
    if (sqlite3_prepare_v2(db, record_sql, -1, &rec, NULL) != SQLITE_OK) return fail(db, "prepare");
    const char *field[MAX_FIELDS];
    int len[MAX_FIELDS];
    long records = 0, submissions = 0, line = 0;
    int n;
    while ((n = next_record(&pos, end, field, len)) > 0) {
        line++;
        if (len[0] == 1 && field[0][0] == 's' && n == SUB_COLS + 3) {
            long long id = strtoll(field[1], NULL, 10);
            bind_fields(sub, field + 2, len + 2, SUB_COLS, sub_int, sub_null);
            if (sqlite3_step(sub) != SQLITE_DONE) return fail(db, "insert ledger_submission");
            sqlite3_reset(sub);
            if (sqlite3_last_insert_rowid(db) != id) { fprintf(stderr, "record %ld: submission #%lld got id %lld\n", line, id, sqlite3_last_insert_rowid(db)); return 1; }
            sqlite3_bind_int64(content, 1, id);
            sqlite3_bind_blob(content, 2, field[SUB_COLS + 2], len[SUB_COLS + 2], SQLITE_STATIC);
            if (sqlite3_step(content) != SQLITE_DONE) return fail(db, "insert ledger_content");
            sqlite3_reset(content);
            submissions++;
        } else if (len[0] == 1 && field[0][0] == 'r' && n == REC_COLS + 1) {
            bind_fields(rec, field + 1, len + 1, REC_COLS, rec_int, rec_null);
            if (sqlite3_step(rec) != SQLITE_DONE) return fail(db, "insert progress_record");
            sqlite3_reset(rec);
            records++;
        } else {
            fprintf(stderr, "record %ld: tag \"%.*s\" with %d fields: expected s (%d) or r (%d)\n", line, len[0], field[0], n,
                    SUB_COLS + 3, REC_COLS + 1);
            return 65;
        }
    }
    if (pos < end) { fprintf(stderr, "record %ld: unterminated or too many fields\n", line + 1); return 65; }
    sqlite3_finalize(sub);
    sqlite3_finalize(content);
    sqlite3_finalize(rec);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "commit: %s\n", err); return 1; }
    /* Closing the last connection checkpoints the WAL into the database, as at the end of each
     * `ledger submit`: timed too. */
    if (sqlite3_close(db) != SQLITE_OK) return fail(db, "close");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

    /* Not timed: nothing the foreign keys refuse (they were enforced on every insert; this says so). */
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) return fail(db, "open again");
    long violations = 0;
    sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &q, NULL);
    while (sqlite3_step(q) == SQLITE_ROW) violations++;
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (violations) { fprintf(stderr, "PRAGMA foreign_key_check: %ld rows\n", violations); return 1; }
    printf("%ld %.3f %.0f %ld\n", records, s, records / s, submissions);
    if (sb.st_size) munmap((void *)data, (size_t)sb.st_size);
    close(fd);
    free(scratch);
    return 0;
}
