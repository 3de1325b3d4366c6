package home
