/* The SQLite C API reference for ledger ingest: reads the generator's rows.csv (RFC 4180) and
 * inserts every row into a progress_record table with Duban's columns, CHECKs and indexes, using
 * ONE prepared statement reused for every row inside ONE transaction, rollback journal, FK off
 * (no referenced tables here). This is the practical limit of this SQLite on this machine.
 *
 *   gcc -O2 -o reference-insert Scripts/reference-insert.c -lsqlite3
 *   reference-insert rows.csv out.sqlite      # prints: rows seconds rows_per_second
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCOL 18

static const char *schema =
    "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;"
    "CREATE TABLE progress_record (id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL, unit_id TEXT NOT NULL,"
    " task_number INTEGER, milestone_id TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),"
    " percent INTEGER CHECK (percent BETWEEN 0 AND 100), completed_on TEXT, reported_on TEXT NOT NULL,"
    " progress TEXT NOT NULL DEFAULT '', problems TEXT NOT NULL DEFAULT '', next_steps TEXT NOT NULL DEFAULT '',"
    " figures_json TEXT NOT NULL DEFAULT '[]', evidence_json TEXT NOT NULL DEFAULT '[]',"
    " origin TEXT NOT NULL CHECK (origin IN ('ledger', 'command')), submission_id INTEGER, source TEXT NOT NULL,"
    " source_line INTEGER, note TEXT, recorded_at TEXT NOT NULL,"
    " CHECK ((origin = 'ledger') = (submission_id IS NOT NULL)),"
    " CHECK (task_number IS NOT NULL OR milestone_id IS NOT NULL),"
    " CHECK (completed_on IS NULL OR status = 'done'), CHECK (status <> 'done' OR completed_on IS NOT NULL));"
    "CREATE INDEX progress_record_latest ON progress_record(plan_id, unit_id, task_number, milestone_id, reported_on, id);"
    "CREATE INDEX progress_record_by_submission ON progress_record(submission_id);";

static const char *insert_sql =
    "INSERT INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,"
    " reported_on, progress, problems, next_steps, figures_json, evidence_json, origin, submission_id, source,"
    " source_line, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

/* Splits one CSV record in place (quotes removed, "" unescaped). Returns the number of fields. */
static int split(char *line, char **field, int *len) {
    int n = 0;
    char *p = line;
    while (n < NCOL) {
        if (*p == '"') {
            char *w = ++p;
            field[n] = w;
            for (;;) {
                if (*p == '"' && p[1] == '"') { *w++ = '"'; p += 2; }
                else if (*p == '"') { p++; break; }
                else if (*p == 0) break;
                else *w++ = *p++;
            }
            len[n] = (int)(w - field[n]);
        } else {
            field[n] = p;
            while (*p && *p != ',' && *p != '\n') p++;
            len[n] = (int)(p - field[n]);
        }
        n++;
        if (*p == ',') { p++; continue; }
        break;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s rows.csv out.sqlite\n", argv[0]); return 64; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 66; }
    remove(argv[2]);
    sqlite3 *db;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) { fprintf(stderr, "open: %s\n", sqlite3_errmsg(db)); return 1; }
    char *err = NULL;
    if (sqlite3_exec(db, schema, NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "schema: %s\n", err); return 1; }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sqlite3_stmt *st;
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
    static const int is_int[NCOL] = {0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0};
    static const int nullable[NCOL] = {0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0};
    char *line = NULL;
    size_t cap = 0;
    long rows = 0;
    char *field[NCOL];
    int len[NCOL];
    while (getline(&line, &cap, in) > 0) {
        if (split(line, field, len) != NCOL) { fprintf(stderr, "bad row %ld\n", rows + 1); return 65; }
        for (int i = 0; i < NCOL; i++) {
            if (len[i] == 0 && nullable[i]) sqlite3_bind_null(st, i + 1);
            else if (is_int[i]) sqlite3_bind_int64(st, i + 1, strtoll(field[i], NULL, 10));
            else sqlite3_bind_text(st, i + 1, field[i], len[i], SQLITE_STATIC);
        }
        if (sqlite3_step(st) != SQLITE_DONE) { fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db)); return 1; }
        sqlite3_reset(st);
        rows++;
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) { fprintf(stderr, "commit: %s\n", err); return 1; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%ld %.3f %.0f\n", rows, s, rows / s);
    sqlite3_close(db);
    free(line);
    fclose(in);
    return 0;
}
