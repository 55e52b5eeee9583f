## Back office (organisers): pages under /admin.
