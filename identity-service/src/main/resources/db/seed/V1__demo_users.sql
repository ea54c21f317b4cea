-- The original's demo users (docs/compatibility.md#demo-data), with their ids. Every password is Jhe1234! (argon2id).
-- identifier = 'fhir-' + the last digit of the id three times, as the original seeds it.
INSERT INTO jhe_user (id, email, email_verified, password_hash, first_name, last_name, user_type, is_superuser, identifier)
VALUES
    (10001, 'admin@example.com',                  TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Alex',   'Admin',  NULL,           TRUE,  'fhir-111'),
    (10002, 'manager_mary@example.com',           TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Mary',   'Mayer',  'practitioner', FALSE, 'fhir-222'),
    (10003, 'member_megan@example.com',           TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Megan',  'Moore',  'practitioner', FALSE, 'fhir-333'),
    (10004, 'viewer_victor@example.com',          TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Victor', 'Vance',  'practitioner', FALSE, 'fhir-444'),
    (10005, 'three_org_tom@example.com',          TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Tom',    'Tanaka', 'practitioner', FALSE, 'fhir-555'),
    (10006, 'll_patient_peter@example.com',       TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Peter',  'Park',   'patient',      FALSE, 'fhir-666'),
    (10007, 'll_patient_pamela@example.com',      TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Pamela', 'Perez',  'patient',      FALSE, 'fhir-777'),
    (10008, 'manager_mark@example.com',           TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Mark',   'Miller', 'practitioner', FALSE, 'fhir-888'),
    (10009, 'npl_patient_percy@example.com',      TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Percy',  'Price',  'patient',      FALSE, 'fhir-999'),
    (10010, 'ccl_patient_paul@example.com',       TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Paul',   'Patel',  'patient',      FALSE, 'fhir-000'),
    (10011, 'ccl_cardio_patient_pat@example.com', TRUE, '$argon2id$v=19$m=19456,t=2,p=1$I5sqXUH+m7yOR2SGi/aIGGIyToEzTWevo3vSYZToWYCu52jqgHgRyRhvFS9cE3SD1Mhh7w5+Z5iUt3Da21Jcbg$3oja8k+Z5TTdERDU5EFH3/nrFgQU3NiddQ9Rf9HLKHk', 'Pat',    'Powell', 'patient',      FALSE, 'fhir-111')
ON CONFLICT (id) DO NOTHING;

SELECT setval('jhe_user_seq', GREATEST((SELECT max(id) FROM jhe_user), 10011));
